"""一件事 composition: one form, one set of materials and one plan from several matters."""
