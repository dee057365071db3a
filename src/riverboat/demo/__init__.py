"""``riverboat demo``: the whole product on one machine."""
