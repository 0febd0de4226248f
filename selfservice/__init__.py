"""The job seeker's own pages ("sjef i eget liv"): what they read, tick, grant and ask for."""
