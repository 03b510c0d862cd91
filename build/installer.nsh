; Included by electron-builder's NSIS script (build/electron-builder.yml → nsis.include).
; electron-builder calls the customUnInit macro when the uninstaller starts; we use it to
; say plainly that uninstalling removes the program but not the bundled database, so
; nobody loses a local database by surprise, and where to delete it by hand.

!macro customUnInit
  MessageBox MB_OK|MB_ICONINFORMATION "Skeldir Rebuild will be removed.$\r$\n$\r$\nThe bundled PostgreSQL database in %LOCALAPPDATA%\SkeldirRebuild is kept, so a reinstall finds it again. Delete that folder yourself if you no longer need it."
!macroend
