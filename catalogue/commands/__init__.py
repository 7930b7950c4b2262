"""Groups of ``svcat`` commands, each in its own module, registered in ``catalogue.cli``."""
