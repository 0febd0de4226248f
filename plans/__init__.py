"""The shared plan (handlingsplan): goals, tasks with owners, reviews, and its history."""
