from awasi_common.runtime import serve
from awasi_identity.bootstrap import bootstrap

if __name__ == "__main__":
    serve(bootstrap)
