"""Statistics: the granted funds from the app's decisions and the imported history, with their charts."""
