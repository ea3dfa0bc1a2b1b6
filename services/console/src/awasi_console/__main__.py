import uvicorn

from awasi_console.bootstrap import bootstrap
from awasi_console.settings import ConsoleSettings

if __name__ == "__main__":
    settings = ConsoleSettings()
    uvicorn.run(bootstrap(settings), host=settings.host, port=settings.port, log_level="info", proxy_headers=False)
