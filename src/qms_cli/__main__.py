from qms_cli.cli import main

main()
