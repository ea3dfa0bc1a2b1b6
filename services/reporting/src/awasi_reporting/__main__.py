from awasi_common.runtime import serve
from awasi_reporting.bootstrap import bootstrap

if __name__ == "__main__":
    serve(bootstrap)
