"""Building: the plan, the job, the manifest, the pipeline, verify, watch and progress."""
