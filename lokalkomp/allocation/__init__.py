"""The middle of the year: the network's compilation, the forum's assessment, conflicts of interest."""
