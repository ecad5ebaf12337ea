from hokoku.cli import main

raise SystemExit(main())
