from incorruptible.cli import app

app(prog_name="incorruptible")
