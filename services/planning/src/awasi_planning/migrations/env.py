from awasi_common.migrations import run_env
from awasi_planning.adapters.orm import metadata

run_env(metadata)
