"""The demo data of deviations: the loaders that `manage.py load_demo` runs, registered from the
app's AppConfig.ready(). Nothing in the app imports this package."""
