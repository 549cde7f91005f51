"""The toolbox (*caja de herramientas*): the methodology manual, versioned Markdown in the
repository's ``toolbox/`` folder, read once (``manual``), shown on the public site as HTML and
in chat as short messages (``chat``)."""
