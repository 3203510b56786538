from saleor_cs_app.cli import main

main()
