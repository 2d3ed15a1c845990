"""Item pipelines, one job each, in this order (see settings.ITEM_PIPELINES):
boilerplate -> Persian text -> validation (-> quarantine) -> duplicates."""
