#ifndef BANKDROP_CINOTIFYTOOLS_SHIM_H
#define BANKDROP_CINOTIFYTOOLS_SHIM_H
#include <sys/inotify.h>
#include <inotifytools/inotifytools.h>
#endif
