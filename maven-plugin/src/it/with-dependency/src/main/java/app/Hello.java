package app;

import org.apache.commons.lang3.StringUtils;

public class Hello {
  public static void main(String[] args) {
    System.out.println(StringUtils.capitalize(System.getenv("GREETING")) + " " + StringUtils.join(args, ' ')
        + " through commons-lang3");
  }
}
