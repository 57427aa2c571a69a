from cleaner.dedup.minhash import signatures
from cleaner.dedup.settings import DedupSettings

__all__ = ["DedupSettings", "signatures"]
