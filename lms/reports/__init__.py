"""Read-only aggregates for dashboards, reports and exports: set-based SQL, no writes."""
