"""The data subject's rights and the retention rules: insight (innsyn), erasure, retention, portability."""
