"""A throw-away OpenLink Virtuoso for tests: Debian's ``virtuoso-opensource``, on 127.0.0.1.

``start_virtuoso(folder)`` writes a ``virtuoso.ini`` whose database, logs and ports are
the test's own (free ports, bound to 127.0.0.1 only), starts ``virtuoso-t`` in the
foreground as our child process, waits for its HTTP endpoint, and creates a user allowed
to update (``SPARQL_UPDATE``) with a random password. ``stop_virtuoso`` terminates it.
"""

from __future__ import annotations

import secrets
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 20
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2
MaxQueryMem = 1G

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
MaxClientConnections = 20
ServerThreads = 20
MaxKeepAlives = 20
KeepAliveTimeout = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""

SETUP = """\
DB.DBA.USER_CREATE('svcat', '{password}');
GRANT SPARQL_UPDATE TO "svcat";
"""


@dataclass
class Virtuoso:
    process: subprocess.Popen
    folder: Path
    http_port: int
    user: str
    password: str

    @property
    def sparql(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"



def start_virtuoso(folder: Path, *, max_rows: int = 10000, buffers: int = 20000, timeout: float = 120) -> Virtuoso:
    from tests.conftest import free_port

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vsp").mkdir(exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(
        dir=folder, sql_port=sql_port, http_port=http_port, max_rows=max_rows, buffers=buffers,
        dirty=buffers * 3 // 4))
    log = open(folder / "stdout.log", "wb")
    process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                               cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{http_port}/sparql"
    while True:
        if process.poll() is not None:
            raise RuntimeError("virtuoso-t exited: " + (folder / "stdout.log").read_text(errors="replace")[-2000:])
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("virtuoso-t did not come up: " + (folder / "virtuoso.log").read_text(errors="replace"))
        time.sleep(0.3)
    password = secrets.token_urlsafe(12)
    (folder / "setup.sql").write_text(SETUP.format(password=password))
    result = subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", str(folder / "setup.sql")],
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0 or "Error" in result.stdout:
        stop_virtuoso(Virtuoso(process, folder, http_port, "", ""))
        raise RuntimeError("could not create the test user: " + result.stdout + result.stderr)
    return Virtuoso(process, folder, http_port, "svcat", password)


def stop_virtuoso(server: Virtuoso) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)
