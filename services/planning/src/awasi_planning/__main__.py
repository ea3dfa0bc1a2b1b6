from awasi_common.runtime import serve
from awasi_planning.bootstrap import bootstrap

if __name__ == "__main__":
    serve(bootstrap)
