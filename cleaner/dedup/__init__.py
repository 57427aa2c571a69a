from cleaner.dedup.settings import DedupSettings

__all__ = ["DedupSettings"]
