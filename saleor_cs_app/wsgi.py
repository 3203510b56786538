"""WSGI entry point for a production server in the scale-out setup:

    gunicorn -w 4 -k gthread --threads 8 'saleor_cs_app.wsgi:app'

Workers then run as `saleor-cs-app worker` processes sharing REDIS_URL.
"""

from saleor_cs_app import create_app

app = create_app()
