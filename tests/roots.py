"""roots.py -- the root-cause kinds (DETECTIONS.md R2.2), as the engine's
engine_finding_is_root() has them, for the tests that read gluetop's JSON
(test_fix.sh, test_roots.sh, test_logging.sh): one list to keep in step."""

ROOT = ("glue_missing_in_domain", "glue_missing_sibling",
        "glue_dropped_without_tc", "circular_delegation", "lame_delegation",
        "ns_name_unresolvable", "zone_unreachable", "ns_set_mismatch",
        "glue_mismatch")
# truncated_referral is a root cause only with these outcomes.
TC_ROOT = ("tcp_failed", "no_tcp_retry")


def is_root(o):
    """A JSON finding that names something to change, unless linked."""
    if "caused_by" in o:
        return False
    if o["kind"] == "truncated_referral":
        return o.get("outcome") in TC_ROOT
    return o["kind"] in ROOT
