"""``ground hotkey``'s parts: keys, terminals, ground's marked block, one recipe per desktop."""
