"""/open-data/: the files with their date, size, licence and fields; /open-data/<name>: a file itself."""
from __future__ import annotations

from flask import abort, current_app, render_template, send_file

from opendata import bp, exports

MAX_AGE = 3600  # the files change once a day; an hour keeps caches close to them


@bp.route("/")
def index():
    return render_template("opendata/index.html", files=exports.published(), kinds=exports.KINDS,
                           licence=current_app.config["OPEN_DATA_LICENCE"],
                           licence_url=current_app.config["OPEN_DATA_LICENCE_URL"])


@bp.route("/<name>")
def download(name: str):
    if name not in exports.file_names():  # only the files we write: no other path in the folder is reachable
        abort(404)
    path = exports.folder() / name
    if not path.is_file():
        abort(404)
    extension = name.rsplit(".", 1)[1]
    response = send_file(path, mimetype=exports.FORMATS[extension], conditional=True, etag=True, max_age=MAX_AGE)
    response.cache_control.public = True
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response
