"""The district: every town in one state, the quarter-end rollup and its targets, quarter on
quarter, a year of quarters, and the district's own return."""
