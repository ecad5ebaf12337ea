"""UNO client run by LibreOffice's Python (it imports `uno`), not by hokoku: update indexes, export PDF.

    python3 soffice_uno.py PIPE_NAME SRC.docx OUT.pdf

hokoku.outputs.soffice starts soffice listening on a named pipe in a throw-away profile,
then runs this script, which connects, opens SRC hidden, updates every index (the table
of contents gets its entries and page numbers; twice, as filling it can move the pages it
points to) and fields, exports OUT.pdf and closes LibreOffice. Errors: one line on stderr,
exit status 1.
"""
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_SECONDS = 60


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _desktop(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def main(pipe, src, pdf):
    desktop = _desktop(pipe)
    try:
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (_prop("Hidden", True),))
        indexes = doc.getDocumentIndexes()
        for _ in range(2):
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
            doc.getTextFields().refresh()
        doc.storeToURL(uno.systemPathToFileUrl(pdf), (_prop("FilterName", "writer_pdf_Export"),))
        doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:  # the bridge closes as LibreOffice exits
            pass


if __name__ == "__main__":
    try:
        main(*sys.argv[1:4])
    except Exception as e:
        print(f"{type(e).__name__}: {e}".splitlines()[0], file=sys.stderr)
        sys.exit(1)
