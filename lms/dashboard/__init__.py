"""Center heads' and the cluster's dashboard pages; the figures live in lms/reports."""
