from fawang.cli import main

main()
