from migmap.cli import main

main()
