#ifndef BANKDROP_CLIBPQ_SHIM_H
#define BANKDROP_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
