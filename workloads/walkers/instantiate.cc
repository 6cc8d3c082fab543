// Placeholder until the walkers land.
