from commissioner_app.cli import run

run()
