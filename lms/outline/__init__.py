"""A course's outline: modules and lessons, their order, retiring lessons, and what that
changes for the enrollments of running cohorts. The models are the catalog's."""
