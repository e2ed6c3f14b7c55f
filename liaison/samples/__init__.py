"""Sample data written by us for the demo and the tests: press texts and recorded exchanges."""
