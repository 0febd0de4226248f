"""After a proposal: the vacancy's candidate list (pipeline), work practice and wage subsidy,
candidate events, and follow-up at 3, 6 and 12 months after a start."""
