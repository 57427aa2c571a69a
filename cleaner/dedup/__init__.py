"""Near-duplicate clustering of cleaned article bodies.

The same wire story reaches a corpus many times (copies, updates, teasers, edits, extended copies);
:func:`deduplicate` groups every such family into one cluster with one canonical document and
keeps different stories apart, even when they share a quote or a template. Data flow:

    text → normalize (token hashes) → shingles (64-bit hash sets) → minhash (signatures)
         → lsh (candidate pairs) → verify (exact Jaccard / containment / rapidfuzz)
         → cluster (components, canonical, guard against chaining)

:func:`signatures` and :func:`sketch` work on one batch and can run in worker processes;
:func:`cluster_sketches` clusters their results without ever holding the texts.
"""

from cleaner.dedup.index import Sketches, cluster_sketches, deduplicate, sketch
from cleaner.dedup.minhash import signatures
from cleaner.dedup.model import Cluster, DedupItem, DedupResult, Member
from cleaner.dedup.settings import DedupSettings

__all__ = [
    "Cluster",
    "DedupItem",
    "DedupResult",
    "DedupSettings",
    "Member",
    "Sketches",
    "cluster_sketches",
    "deduplicate",
    "signatures",
    "sketch",
]
