"""The commissioning body's figures: the result table per project and period, year coverage,
follow-up survival. Computed with pandas from an event stream, whether recorded or imported."""
