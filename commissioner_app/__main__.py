from commissioner_app.cli import main

raise SystemExit(main())
