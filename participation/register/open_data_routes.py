"""The register's open-data endpoints and the region view, for the app's route table (participation.core)."""

from participation.register.algorithms import AlgorithmRegister
from participation.register.catalog import DataCatalog
from participation.register.feed import RegisterFeed
from participation.register.region_pages import RegionPages
from participation.register.schema import RegisterSchema

OPEN_DATA_CONTROLLERS = [RegisterSchema, AlgorithmRegister, RegisterFeed, DataCatalog, RegionPages]
