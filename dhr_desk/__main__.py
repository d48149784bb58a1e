from dhr_desk.app import main

raise SystemExit(main())
