from awasi_common.migrations import run_env
from awasi_identity.adapters.orm import metadata

run_env(metadata)
