"""The staff's recorded work, summed per day as it is written (SPEC §7: the dashboards read
these small tables instead of a center's year of history rows)."""
