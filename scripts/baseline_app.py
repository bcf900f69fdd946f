"""The benchmark's baseline: the smallest Flask app, served under the same gunicorn settings as Chapterhouse."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "Hello, World!"
