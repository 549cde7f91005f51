"""Good practices: documented by a secretariat, submitted, validated, published, searched in
Spanish across secretariats and adopted by others into their plans."""
