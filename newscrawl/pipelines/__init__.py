"""Item pipelines, one job each, in this order (see settings.ITEM_PIPELINES): Persian text ->
field stats -> validation (-> quarantine) -> duplicates -> written. None of them reads markup: the
site parser returns the finished article."""
