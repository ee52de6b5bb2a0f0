from regqa.cli import main

main()
