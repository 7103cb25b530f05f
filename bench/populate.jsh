// Creates N empty data objects in a collection through rodsgate's own client (fast fixture for listing benches).
// Environment: RG_PORT, RG_COLL, RG_N
import org.rodsgate.irods.*;
var acct = IrodsAccount.of("localhost", Integer.parseInt(System.getenv("RG_PORT")), "tempZone", "rods", "rods");
var s = IrodsSession.open(acct);
String coll = System.getenv("RG_COLL");
int n = Integer.parseInt(System.getenv("RG_N"));
s.mkdir(coll, true);
for (int i = 0; i < n; i++) { var f = s.create(coll + "/obj-" + i + ".tif"); s.close(f.fd()); }
s.close();
System.out.println("created " + n + " objects in " + coll);
/exit
