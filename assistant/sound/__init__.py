"""Sound: the mixer, the sound-card player and its failure ladder, assets and devices."""
